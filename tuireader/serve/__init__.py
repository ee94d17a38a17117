"""``tuireader serve``: the reader in a browser tab, one app process per tab (textual-serve).

Only ``server`` (and ``tabs``) import the web server; ``command``, ``mode``, ``options``
and ``security`` stay light, so the command line can register the subcommand and the
reader can ask whether it runs under the web driver without importing aiohttp.
"""
