"""The supervisor's screens: reviewing and approving referrals, sealing bundles per force."""
