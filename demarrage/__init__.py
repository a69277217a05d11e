"""Putting the service to work: migrations, the sweep at start-up and the demo campaign's seed."""
