"""Pages of the coordination, one module per topic: staff pages and e-mail answer links."""
