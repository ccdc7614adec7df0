"""The release's static site: an annotated memo reader, a timeline and an actor network.

Libraries, and why:

- **Jinja2** writes the pages from templates (package data under `templates/`): the standard
  template engine of the Python world, autoescaping HTML, with no runtime of its own in the page.
- **Vega-Lite** specs describe the two figures as data; **vl-convert-python** renders them to SVG
  and PNG without a browser (an embedded Deno runtime with Vega inside) and gives the Vega,
  Vega-Lite and Vega-Embed JavaScript as one offline bundle, so the pages draw the very same
  specs interactively (tooltips, links) from `file://` with nothing fetched.
- **networkx** lays out the actor network (ForceAtlas2 with a fixed seed) at build time.

No chart, layout or templating code of our own; the hand-written scripts are small event
handlers for which no library fits a page of this size: the reader's (`static/reader.js`: layer
switches, search, the records panel and its keyboard path) and the charts' keyboard, tap and
details (`static/charts.js`). Modules: `gather` (tables and memo through the contract, and every
mention of an actor), `marks` (the memo as HTML with nested evidence marks), `profiles` (a page per
actor and per event, joined from the tables), `figures` (a package: `palette`, `timeline`,
`network`, `render`), `pages` (templates and files). The dependencies are the `site` extra: a user
who only loads data never needs them.
"""

from .pages import write_site

__all__ = ["write_site"]
