"""Live chat: visitors queue for a free agent and talk live over websockets; nothing is kept.

``protocol`` (pure message parsing), ``conversation`` (pure state of one chat), ``store`` (queue
and presence, ids only), ``service`` (routing and relaying through the broker), ``hub`` (the
sockets), ``routes`` and ``console`` (the widget's socket and the agents' desk).
"""
