"""The pages of the app, in menu order: one list for the entry script and for the tests."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    script: str  # path from the project root
    title_key: str  # locale key of the menu title
    icon: str
    url_path: str  # "" for the default page, served at /

    @property
    def is_default(self) -> bool:
        return self.url_path == ""


PAGES = [
    PageSpec("pages/overview.py", "nav.overview", ":material/dashboard:", ""),
    PageSpec("pages/satisfaction.py", "nav.satisfaction", ":material/map:", "satisfaction"),
]
