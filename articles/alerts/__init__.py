"""E-mail for journalists: subscriptions with double opt-in, alerts when a release goes live,
daily digests, correction notices, press lists and embargo notices.

- models.py: subscribers, press lists, journalists, embargo notices, and one `Delivery` row
  per message to send (unique key: a message is planned once, whoever plans it);
- tokens.py: the signed links (confirm, manage, one-click unsubscribe);
- subscriptions.py: subscribe, confirm, change, leave, export, erase (every writer);
- planning.py: who gets what when a release goes live or is corrected; digests;
- sending.py: claim one delivery at a time and send it through Django's e-mail backend;
- messages.py: the messages themselves (text and HTML, RFC 8058 headers);
- press.py: embargo notices to press lists;
- jobs.py, receivers.py: the background jobs and the went-live receiver.
"""
