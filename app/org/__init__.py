"""The body's structure: departments, their heads, and the routes documents take to them."""
