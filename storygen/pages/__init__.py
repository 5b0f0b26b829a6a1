"""Pages: the output kinds, rendering to HTML in the sandbox, the page policy, printing to PDF."""
