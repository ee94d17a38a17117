"""The app's look: driver, theme variables and CSS refreshes (``TuiReaderApp`` inherits this)."""

from __future__ import annotations

from textual.app import App
from textual.driver import Driver

from tuireader.ui.ssh_profile import lean_output_wanted
from tuireader.ui.themes import reader_variable_defaults, with_legacy_aliases


class StyledApp(App[int]):
    """Textual's app with tuireader's driver choice, theme variables and a lean start."""

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver; over SSH, its Linux driver writing frames briefly (lean_output)."""
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver is LinuxDriver and lean_output_wanted():
            from tuireader.ui.lean_output import LeanLinuxDriver

            return LeanLinuxDriver
        return driver

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Reader variables for a theme that lacks them (derived from its colours)."""
        return reader_variable_defaults(self.current_theme)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, plus the older ``$reader-…`` names as aliases."""
        variables = with_legacy_aliases(super().get_css_variables(), self.current_theme.variables)
        self.theme_variables = variables
        return variables

    def refresh_css(self, animate: bool = True) -> None:
        """Textual's refresh; before the first screen exists, only the variables are set.

        The theme chosen in ``__init__`` asks for a refresh that would parse the app's
        CSS once with the new variables and again when the first screen mounts; with
        no screen yet nothing is styled, so setting the variables is the whole job
        (the stylesheet is parsed once, with them, when the first screen mounts).
        """
        if self.screen_stack:
            super().refresh_css(animate)
            return
        self.stylesheet.set_variables(self.get_css_variables())
        self.stylesheet._require_parse = True  # parsed on first use (no public way to ask)
