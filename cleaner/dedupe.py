"""Drop repeated speeches."""
