"""Deployment files (nginx, Redis) and the scripts that start a cluster on one machine (make cluster)."""
