"""Controllers that drive the page's components through client.ffi."""
