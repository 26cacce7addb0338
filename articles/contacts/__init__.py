"""Press contacts as journalists take them away: vCards (vcards.py)."""
