"""The SQLCipher store: one connection recipe, numbered migrations, and the queries."""
