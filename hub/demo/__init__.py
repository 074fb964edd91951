"""The demo network that `manage.py seed_demo` builds: its sites and accounts (network.py), its
posts (blog.py) and conversations (comments.py), its logos and portraits (assets/)."""
