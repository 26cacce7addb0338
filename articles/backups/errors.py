class BackupError(Exception):
    """A backup that cannot be made, or a backup refused before anything changed; the message is French."""


class RestoreCheckFailed(BackupError):
    """The data were replaced, but do not match the backup's manifest; the message is French."""
