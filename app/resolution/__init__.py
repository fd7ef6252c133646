"""Stage two: a head's resolutions — assign, pass down, redirect, leave without consideration."""
