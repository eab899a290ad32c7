"""Recording a sale, the whole path in this folder:

1. ``services.record_sale``: the path in order.
2. ``booth.py``: what a sale needs of its booth, fair, chain end and printer, in one row
   read with the key's record (``idempotency.py``); a key already answered is replayed.
3. ``draft.py``: checked, priced (``pricing.py``) and sealed on the chain's end as
   read, before any lock.
4. ``writer.py``: the interface that writes it, with one implementation per database
   chosen when the app starts: ``sqlite.py`` (group commit) and ``postgres.py`` (one
   statement, a lock on the key).
"""
