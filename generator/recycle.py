"""Empty a replaced site for the next build to write into, in a process of its own (see write._discard).

A build writes into a new staging folder and swaps it in whole. Making that folder's folders (a
1,000-page site has 152) took a tenth of a one-page rebuild on a file system where each costs half a
millisecond, and unlinking the replaced site keeps it busy for longer still. So the replaced site is
emptied here, in the background: its files unlinked, its folders kept, and it is renamed
``.<site>.spare``, which the next build takes as its staging folder (``write._spare``). A spare is
only ever renamed once every file in it is gone; when one is already waiting, or anything could not
be removed, the folder is deleted instead.

Only the standard library: this runs as ``python recycle.py FOLDER SPARE``, and must start fast.
"""

from __future__ import annotations

import os
import shutil
import sys


def emptied(folder: str) -> bool:
    """Unlink everything in ``folder`` but its folders (symbolic links to folders too); whether all went."""
    done = True
    for root, folders, files in os.walk(folder):
        links = [name for name in folders if os.path.islink(os.path.join(root, name))]
        folders[:] = [name for name in folders if name not in links]
        for name in (*files, *links):
            try:
                os.unlink(os.path.join(root, name))
            except OSError:
                done = False
    return done


def recycle(folder: str, spare: str) -> None:
    """Empty ``folder`` and rename it ``spare``, or delete it (see the module's docstring)."""
    if emptied(folder):
        try:
            os.rename(folder, spare)  # fails while another spare with folders is there: one is enough
            return
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    recycle(sys.argv[1], sys.argv[2])
