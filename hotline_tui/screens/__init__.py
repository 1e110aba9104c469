"""One screen a module, each with its own .tcss file."""
