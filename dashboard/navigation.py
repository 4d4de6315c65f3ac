"""The pages of the app, in menu order: one list for the entry script and for the tests."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    script: str  # path from the project root
    title_key: str  # locale key of the menu title
    icon: str
    # "" for the default page (served at /), else a path that is NOT the file's stem: until the first
    # st.navigation call in a server process, Streamlit treats pages/ as a v1 pages folder and would run
    # pages/<stem>.py alone, without app.py (see dashboard/cli.py serve).
    url_path: str
    roles: frozenset[str] | None = None  # the roles that may open it (dashboard/access.py); None = all

    @property
    def is_default(self) -> bool:
        return self.url_path == ""


PAGES = [
    PageSpec("pages/overview.py", "nav.overview", ":material/dashboard:", ""),
    PageSpec("pages/tickets.py", "nav.tickets", ":material/support_agent:", "complaints"),
    PageSpec("pages/satisfaction.py", "nav.satisfaction", ":material/map:", "satisfaction-map"),
    PageSpec("pages/nine_grid.py", "nav.nine_grid", ":material/grid_view:", "nine-grid"),
    PageSpec("pages/staff.py", "nav.staff", ":material/badge:", "three-labor"),
    PageSpec("pages/programs.py", "nav.programs", ":material/school:", "training"),
    PageSpec(
        "pages/customer.py",
        "nav.customer",
        ":material/storefront:",
        "customer-profile",
        roles=frozenset({"admin", "manager", "station_head", "customer_manager"}),  # one store: not viewer
    ),
    PageSpec(
        "pages/data.py", "nav.data", ":material/upload_file:", "data-import", roles=frozenset({"admin"})
    ),
]

# Presentation mode: a page of its own (its URL is the switch), not in the menu.
PRESENT = PageSpec("pages/present.py", "nav.present", ":material/slideshow:", "present")
