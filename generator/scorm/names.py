"""The files Learnmark's SCORM support writes, by where they go: in packages, and on the published site.

One place, since course ids and page ids must keep clear of them (course.RESERVED_*_IDS).
"""

LAUNCH = "launch.html"
"""Each module's launch page in a package, beside its pages: ``<module-id>/launch.html``."""
DISPATCH_PAGE = "dispatch.html"
"""Each module's hosted launch page on the published site, which a dispatch package frames."""
MANIFEST = "imsmanifest.xml"
"""At the top of every package."""
RUNTIME = {"assets/scorm-lms.js": "lms.js", "assets/scorm-suspend.js": "suspend.js",
           "assets/scorm-runtime.js": "runtime.js"}
"""A package's launch page's scripts, in load order: path -> file in the theme's scorm/ folder."""
HOSTED = {"assets/scorm-lms.js": "lms.js", "assets/scorm-suspend.js": "suspend.js",
          "assets/scorm-bridge.js": "bridge.js", "assets/scorm-runtime.js": "runtime.js"}
"""The hosted launch page's scripts, in load order: the runtime, with its session across origins."""
RELAY = {"assets/scorm-lms.js": "lms.js", "assets/scorm-relay.js": "relay.js"}
"""A dispatch package's launch page's scripts, in load order."""
