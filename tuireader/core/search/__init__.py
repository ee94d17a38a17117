"""Passage search, one job a module.

``text`` (folding, words), ``passages`` (splitting documents), ``index_file``
(the on-disk format), ``build`` (which documents, the cache file, writing it),
``vocabulary`` (exact, typo and prefix word matches), ``query`` (candidates and
ranking), ``hits`` (``SearchHit``, ``snippet``), ``index`` (the ``SearchIndex``
facade), ``backend`` (the ``SearchBackend`` protocol the rest of the code uses)
and ``shared`` (``SharedIndex``, the one owner of a session's index).
"""
