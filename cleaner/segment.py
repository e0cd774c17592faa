"""Split a cleaned page into speeches."""
