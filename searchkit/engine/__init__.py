"""Everything that subclasses or reaches into Whoosh's internals (Whoosh-Reloaded 2.7.5, pinned).

Filled in below once the layer is complete.
"""
