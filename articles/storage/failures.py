"""What reading or writing a stored file raises when the storage fails, whichever it is.

The local disk raises OSError; the bucket (django-storages over botocore) raises botocore's
own errors, which are not OSErrors: a bucket that does not answer is EndpointConnectionError
(a BotoCoreError), one that refuses or fails a request is ClientError. A view that still has
an answer without the stored file (the release PDF drawn for the reader, a press kit streamed)
catches all of them through this one name.
"""

from botocore.exceptions import BotoCoreError, ClientError

STORAGE_UNAVAILABLE = (OSError, BotoCoreError, ClientError)
