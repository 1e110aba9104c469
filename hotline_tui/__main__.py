"""python -m hotline_tui"""

import sys

from hotline_tui.cli import main

sys.exit(main())
