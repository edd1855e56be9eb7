{#- Picklist and free text: whitespace runs (spaces, tabs, line breaks) collapsed to one
    space, trimmed, empty -> null. Most values have nothing to collapse, and substring
    tests are about three times cheaper than the regular expression (this runs on every
    text column of every staged row), so it runs only on a value with two spaces in a
    row or a tab, line feed, form feed or carriage return (the rest of RE2's \s). -#}
{% macro clean_text(column) -%}
    {%- set trimmed = 'trim(' ~ column ~ ')' -%}
    nullif(
        case
            when contains({{ trimmed }}, '  ') or contains({{ trimmed }}, chr(9)) or contains({{ trimmed }}, chr(10))
                or contains({{ trimmed }}, chr(12)) or contains({{ trimmed }}, chr(13))
                then trim({{ regexp_replace_all(column, "'\\s+'", "' '") }})
            else {{ trimmed }}
        end,
        ''
    )
{%- endmacro %}

{#- The key a seed is matched on: cleaned and lower-cased (picklists match case-insensitively). -#}
{% macro picklist_key(column) -%}
    lower({{ clean_text(column) }})
{%- endmacro %}

{#- An email is usable when it has one @ with something before it and a dotted domain after it. -#}
{% macro is_valid_email(column) -%}
    coalesce({{ regexp_whole_match('trim(' ~ column ~ ')', "'[^@\\s]+@[^@\\s]+\\.[^@\\s.]+'") }}, false)
{%- endmacro %}

{#- The domain of a valid email, lower-cased; null for a malformed one. -#}
{% macro email_domain(column) -%}
    case when {{ is_valid_email(column) }} then lower(split_part(trim({{ column }}), '@', 2)) end
{%- endmacro %}

{#- The host of a website URL without scheme, path or leading www. -#}
{% macro url_domain(column) -%}
    nullif(lower(regexp_replace(regexp_extract(trim({{ column }}), '^(?:[a-zA-Z]+://)?([^/?#:]+)', 1), '^www\.', '')), '')
{%- endmacro %}

{#- The path of a URL, lower-cased, without query string or fragment. -#}
{% macro url_path(column) -%}
    coalesce(nullif(lower(regexp_extract(trim({{ column }}), '^(?:[a-zA-Z]+://[^/?#]+)?(/[^?#]*)', 1)), ''), '/')
{%- endmacro %}
