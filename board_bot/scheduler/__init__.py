"""APScheduler with its job store in the bot's database, the lease that lets one process run it,
and the jobs (module-level functions referenced by import path) that call the features' work."""
