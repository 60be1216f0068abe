"""The residents' pages, one module per area: errands, documents, contact history, details,
the service finder, the FAQ, the electronic forms and the satisfaction survey. The URLs of all
of them are in aspa.portal.urls."""
