"""Staff pages of the coordination, one module per topic."""
