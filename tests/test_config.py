import pytest

from briefing.config import load_config, parse_config
from briefing.model import BuildError


def test_defaults_when_no_site_file(tmp_path):
    config = load_config(tmp_path)
    assert config.title == "The Briefing" and config.base_url == ""


def test_command_line_base_url_wins_and_is_normalised():
    config = parse_config("base_url: https://a.example\n", "site.yaml", "https://b.example/sub/")
    assert config.base_url == "https://b.example/sub"


def test_bad_yaml_names_file_and_line():
    with pytest.raises(BuildError) as error:
        parse_config("title: ok\nper_page: [1\n", "content/site.yaml")
    assert "content/site.yaml:" in str(error.value)
    assert error.value.line is not None


def test_unknown_setting_is_an_error():
    with pytest.raises(BuildError, match="unknown setting 'titel'"):
        parse_config("titel: x\n", "site.yaml")


def test_wrong_type_is_an_error():
    with pytest.raises(BuildError, match="per_page"):
        parse_config("per_page: many\n", "site.yaml")


def test_base_url_must_be_absolute():
    with pytest.raises(BuildError, match="http"):
        parse_config("base_url: example.org\n", "site.yaml")
