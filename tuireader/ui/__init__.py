"""The Textual user interface.

Importing this package caps Textual's frame rate over SSH (``ssh_profile``):
Textual reads ``TEXTUAL_FPS`` once, when it is imported, which every module
here does after this package is initialised.
"""

from tuireader.ui.ssh_profile import cap_frame_rate

cap_frame_rate()
