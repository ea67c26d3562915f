"""docs/python.md "Storage" and "Users", run in demo mode (in a scratch folder)."""
import os

import callwire

# snippet-begin: open
storage = callwire.Storage("calls.db")                         # a path, or "sqlite:///abs/path.db"
if os.environ.get("MONGODB_URL"):                              # or "mongodb://localhost:27017"
    storage = callwire.Storage(os.environ["MONGODB_URL"], database="telnyx_calling", timeout=5)
# snippet-end: open
print(storage.info()["backend"])

# snippet-begin: users
ada = storage.users.create("ada@example.org", "Ada Lovelace", "correct horse", role="admin")
user = storage.users.authenticate("ADA@example.org", "correct horse")   # User, or None
if user is None:
    ...                                  # unknown email, wrong password, disabled: one answer
storage.users.update(ada.id, disabled=True)          # token_version + 1: her tokens stop working
storage.users.set_status(ada.id, "away")             # available or away
storage.users.check_password(ada.id, "guess")        # False
# snippet-end: users
assert user is not None and user.id == ada.id
assert storage.users.get(ada.id).disabled and not storage.users.check_password(ada.id, "guess")
storage.close()
print("users: ok")
