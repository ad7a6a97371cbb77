"""Pages of the coordination, one module per topic: the member space (/espace/), staff pages
(/equipe/) and e-mail answer links."""
