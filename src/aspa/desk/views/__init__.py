"""The desk's pages, one module per area: the front page, requests (queues, the request page and
its actions, the expert's inbox), contacts, customers, the supervisor's overview, process tasks,
the knowledge base and customer satisfaction. Their URLs are all in aspa.desk.urls."""
