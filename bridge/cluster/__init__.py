"""Several bridges as one service: the notification bus and the timer leases (docs/cluster.md)."""
