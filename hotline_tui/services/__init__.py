"""What users can do. Every function takes a Session, checks permissions, and audits."""
