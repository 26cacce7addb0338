class BackupError(Exception):
    """A backup that cannot be made, or a backup refused before anything changed; the message is French."""
