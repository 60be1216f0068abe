"""Aspa's connections to systems outside it, one folder per external system.

They sit at the top of the layer map (docs/architecture.md), beside the desk and the portal:
an integration may call any app's operations and queries, and no app imports an integration."""
