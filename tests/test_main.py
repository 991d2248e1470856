import subprocess
import sys


def test_help_answers_without_importing_keras():
    script = ("import sys\nfrom tlcourse import __main__ as command\ntry:\n"
              "    command.main(['--help'])\nexcept SystemExit:\n    pass\n"
              "print('keras imported:', 'keras' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True).stdout
    assert "doctor" in shown and "keras imported: False" in shown
