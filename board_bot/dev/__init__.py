"""For developers and newcomers, not needed in production: the local Synapse homeserver the demo
and the end-to-end tests start, and the demo board with its sample data."""
