"""Stage three: the executor's reply, its approval rounds, the official's signature, the
letter that goes back to the author."""
