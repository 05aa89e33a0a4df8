"""The one shared worker of a server: its line, its jobs, its steps."""
