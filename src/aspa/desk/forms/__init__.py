"""The desk's forms, one module per area like `desk/views/`: the request list's filters
(`request_list`), the request page's actions (`request_actions`), the contact screen
(`contacts`) and completing a process task (`process_tasks`)."""
