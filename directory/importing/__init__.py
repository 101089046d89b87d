"""Importing facility files: reading each format into plain records
(`formats`), checking and cleaning them (`cleaning`), and mapping SAMHSA
labels and codes to the project's vocabularies (`codes`). Writing to the
database is `directory.services.programs_import`."""
