"""Names families use (directory/data/synonyms.tsv, read by
directory.vocabularies.read_names): every row names a real term, and a
search's words are read longest name first."""

import pytest

from directory import vocabularies


@pytest.mark.django_db
def test_every_name_families_use_stands_for_an_existing_term():
    relations = {vocabulary.relation: vocabulary for vocabulary in vocabularies.all_vocabularies()}
    for name in vocabularies.names().values():
        assert name.search_words, name.words
        for relation, slug in name.terms:
            assert relation in relations, (name.words, relation)
            assert relations[relation].model.objects.filter(slug=slug).exists(), (name.words, slug)


def test_names_are_read_longest_first_and_only_for_the_relations_asked():
    read = vocabularies.read_names(["Heroin", "crystal", "meth", "harbor", "AA"])
    assert [getattr(item, "terms", item) for item in read] == [
        (("detox_substances", "opioids"),),
        (("detox_substances", "methamphetamine"),),
        "harbor",
        (("treatment_approaches", "twelve-step"), ("support_services", "self-help-groups")),
    ]
    searchable = {vocabulary.relation for vocabulary in vocabularies.VOCABULARIES}
    assert vocabularies.read_names(["AA", "suboxone"], searchable)[0] == "AA"


def test_brand_names_stand_for_their_medication():
    for brand in ["Suboxone", "Subutex", "Zubsolv", "Sublocade", "Brixadi"]:
        assert vocabularies.read_names([brand])[0].terms == (("medications", "buprenorphine"),)
    assert vocabularies.read_names(["Vivitrol"])[0].terms == (("medications", "naltrexone"),)
    assert vocabularies.read_names(["Methadose"])[0].terms == (("medications", "methadone"),)
