{#-
    The one incremental mechanism of the project: every incremental model is rebuilt by
    key bucket, `_bucket = hash(key) mod incremental_bucket_count()` (the key is a lead,
    a Marketo person, a raw row's dedupe key). Each stored row carries `_bucket` and
    `_bucket_digest`, a digest of

    * every whole row of the model's keyed inputs in that bucket: by default every
      ref()'d relation that has the key column, all of its columns (read from the
      catalog with adapter.get_columns_in_relation, so an added column changes it);
    * every whole row of the model's other inputs (seeds, settings, users: a change
      there rebuilds every bucket);
    * the model's code: its raw SQL and the project macros it calls, transitively
      (`code_digest`), so editing the model or a macro it uses rebuilds its rows.

    A run rebuilds the buckets whose current digest is not stored (and those holding a
    row `also_rebuild` names), with the strategy the engine has (`bucket_strategy`:
    DuckDB delete+insert on `_bucket`; Spark insert_overwrite of the `_bucket`
    partitions), and a post-hook drops buckets rebuilt into no rows or that no input
    row maps to any more. There is
    no watermark: a missed night, a late row, an edited seed or model all show up as a
    changed digest, so the table equals a full refresh.

    A model uses it in four lines, and its business CTEs stay plain:

        {{ bucketed_incremental('lead_id') }}            -- the config
        with
        {{ bucket_digests('lead_id') }}                  -- first CTEs (trailing comma)
        leads as (select ... from {{ ref('x') }} {{ in_rebuilt_buckets('lead_id') }}),
        ...
        {{ select_with_bucket_digest('final', 'lead_id') }}

    Not in the code digest: dbt's own and the adapter's macros, vars and environment
    variables the model reads (none of the incremental models reads one).
-#}

{% macro bucketed_incremental(key, drop_stale=true, digest_inputs=none) -%}
    {#- drop_stale: whether the post-hook drops stale buckets (drop_stale_buckets); false
        when the keyed input is not a ref (the staging bases: a raw table whose rows of a
        whole bucket vanish is reported by audit.reconciliation_raw_rows).
        digest_inputs: the name of a project macro returning the `inputs` the model passes
        to bucket_digests (relations or parenthesised subqueries of refs), so the
        pre-hook digests the same rows. -#}
    {%- set settings = {
        'materialized': 'incremental',
        'on_schema_change': 'sync_all_columns',
    } -%}
    {%- do settings.update(bucket_strategy()) -%}
    {%- if drop_stale -%}
        {#- the current digests are computed once, by the pre-hook, into a side table the
            model and the post-hook read; the post-hook drops it -#}
        {%- set inputs_argument = '' if digest_inputs is none else ', inputs=' ~ digest_inputs ~ '()' -%}
        {%- do settings.update({
            'stores_bucket_digests': true,
            'bucket_digest_inputs': digest_inputs,
            'pre_hook': ["{{ drop_stored_bucket_digests() }}", "{{ store_bucket_digests('" ~ key ~ "'" ~ inputs_argument ~ ") }}"],
            'post_hook': ["{{ drop_stale_buckets('" ~ key ~ "') }}", "{{ drop_stored_bucket_digests() }}"],
        }) -%}
    {%- endif -%}
    {{ config(**settings) }}
{%- endmacro %}


{#- The engine's way to replace whole buckets. -#}
{% macro bucket_strategy() -%}
    {{ return(adapter.dispatch('bucket_strategy', 'lead_funnel')()) }}
{%- endmacro %}

{% macro default__bucket_strategy() -%}
    {{ return({'incremental_strategy': 'delete+insert', 'unique_key': '_bucket'}) }}
{%- endmacro %}

{% macro spark__bucket_strategy() -%}
    {{ return({'incremental_strategy': 'insert_overwrite', 'partition_by': ['_bucket'], 'file_format': 'parquet'}) }}
{%- endmacro %}


{#- The bucket of a key: an integer in [0, incremental_bucket_count()); a null key has one too. -#}
{% macro bucket_of(key) -%}
    {{ return(adapter.dispatch('bucket_of', 'lead_funnel')(key, incremental_bucket_count())) }}
{%- endmacro %}


{#- How many buckets a model's keys fall into: the engine's count, or the var
    `incremental_buckets` when a run sets one (`--vars '{incremental_buckets: 256}'`).
    DuckDB: many small buckets keep a nightly run small (delete+insert of a few keys).
    Spark: every bucket is a Parquet partition (a folder of files per model), so few:
    32 measured cheapest here (tests/spark, docs/architecture.md). -#}
{% macro incremental_bucket_count() -%}
    {%- set override = var('incremental_buckets', none) -%}
    {%- if override is not none -%}
        {{ return(override | int) }}
    {%- endif -%}
    {{ return(adapter.dispatch('incremental_bucket_count', 'lead_funnel')()) }}
{%- endmacro %}

{% macro default__incremental_bucket_count() -%}
    {{ return(65536) }}
{%- endmacro %}

{% macro spark__incremental_bucket_count() -%}
    {{ return(32) }}
{%- endmacro %}

{% macro default__bucket_of(key, buckets) -%}
    cast(hash(cast({{ key }} as varchar)) % {{ buckets }} as integer)
{%- endmacro %}

{% macro spark__bucket_of(key, buckets) -%}
    cast(pmod(xxhash64(cast({{ key }} as string)), {{ buckets }}) as int)
{%- endmacro %}


{#- A 64-bit hash of a list of expressions (a whole row: every column). -#}
{% macro hash_of(expressions) -%}
    {{ return(adapter.dispatch('hash_of', 'lead_funnel')(expressions)) }}
{%- endmacro %}

{% macro default__hash_of(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}

{% macro spark__hash_of(expressions) -%}
    xxhash64({{ expressions | join(', ') }})
{%- endmacro %}


{#- An order-free digest of a set of row hashes: their sum, wide enough not to overflow. -#}
{% macro sum_of_hashes(row_hash) -%}
    {{ return(adapter.dispatch('sum_of_hashes', 'lead_funnel')(row_hash)) }}
{%- endmacro %}

{% macro default__sum_of_hashes(row_hash) -%}
    coalesce(sum(cast({{ row_hash }} as hugeint)), 0)
{%- endmacro %}

{% macro spark__sum_of_hashes(row_hash) -%}
    coalesce(sum(cast({{ row_hash }} as decimal(38, 0))), 0)
{%- endmacro %}


{#- The columns the mechanism adds: never part of an input's row digest. -#}
{% macro bucket_columns() -%}
    {{ return(['_bucket', '_bucket_digest']) }}
{%- endmacro %}


{% macro code_digest() -%}
    {#- The model's raw SQL and every project macro it calls (transitively, with the
        engine's variants of dispatched ones), as an md5 literal. -#}
    {%- set project_prefix = 'macro.' ~ project_name ~ '.' -%}
    {%- set seen = [] -%}
    {%- set pending = model.depends_on.macros | list -%}
    {%- set parts = [] -%}
    {%- for _ in range(1000) if pending | length > 0 -%}
        {%- set unique_id = pending.pop(0) -%}
        {%- if unique_id.startswith(project_prefix) and unique_id not in seen -%}
            {%- do seen.append(unique_id) -%}
            {%- set name = unique_id[project_prefix | length:] -%}
            {%- for variant in [name, adapter.type() ~ '__' ~ name, 'default__' ~ name] -%}
                {%- set generator = context.get(variant) -%}
                {%- if generator is not none and generator.macro is defined -%}
                    {%- do parts.append(variant ~ ':' ~ generator.macro.macro_sql) -%}
                    {%- for called in generator.macro.depends_on.macros -%}
                        {%- do pending.append(called) -%}
                    {%- endfor -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {#- sorted: the order dbt recorded the calls in is not part of the code -#}
    {{ return(local_md5(model.raw_code ~ '\n--\n' ~ (parts | sort | join('\n--\n')))) }}
{%- endmacro %}


{% macro bucket_incremental_run() -%}
    {#- Whether this run rebuilds only changed buckets: an existing table that carries
        the bucket digest (one stored before it is rebuilt whole, once). In a unit test
        `this` is not a relation. -#}
    {%- if not execute or model.resource_type == 'unit_test' or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(relation_has_column(this, '_bucket_digest')) }}
{%- endmacro %}


{% macro bucket_inputs(key) -%}
    {#- Every ref()'d relation, as {'relation', 'columns', 'keyed'}: keyed when it has
        the key column. Columns are the relation's own, from the catalog. -#}
    {%- set inputs = [] -%}
    {%- for ref_args in model.refs -%}
        {%- set package = ref_args.get('package') -%}
        {%- set relation = ref(ref_args.name) if package is none else ref(package, ref_args.name) -%}
        {%- set columns = [] -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- if column.name | lower not in bucket_columns() -%}
                {%- do columns.append(column.name | lower) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if columns | length == 0 -%}
            {#- not built yet: only when compiling without running (dbt compile, sqlfluff on
                an empty warehouse); a run builds every input before the model -#}
            {%- do columns.append(key | lower) -%}
        {%- endif -%}
        {%- do inputs.append({'name': relation | string, 'relation': relation, 'columns': columns | sort,
            'keyed': key | lower in columns}) -%}
    {%- endfor -%}
    {{ return(inputs | sort(attribute='name')) }}
{%- endmacro %}


{% macro bucket_digest_sql(key, inputs=none, salt='') -%}
    {#- A select of every bucket of the keyed inputs with its digest (_bucket,
        _bucket_digest). `inputs` replaces the refs with in-model relations already
        hashed: [{'relation': 'cte', 'row_hash': 'column'}] (or a parenthesised, aliased
        subquery, which a pre-hook can read too); `salt` is more compile-time
        code (the raw table's shape a base's SQL was generated for). -#}
    {%- set keyed = [] -%}
    {%- set global = [] -%}
    {%- if inputs is none -%}
        {%- for input in bucket_inputs(key) -%}
            {%- set quoted = [] -%}
            {%- for column in input.columns -%}{%- do quoted.append(adapter.quote(column)) -%}{%- endfor -%}
            {%- set row_hash = hash_of(quoted) -%}
            {%- if input.keyed -%}
                {%- do keyed.append('select ' ~ bucket_of(key) ~ ' as _bucket, ' ~ row_hash ~ ' as _row_hash from ' ~ input.relation) -%}
            {%- else -%}
                {%- do global.append('(select ' ~ sum_of_hashes(row_hash) ~ ' from ' ~ input.relation ~ ')') -%}
            {%- endif -%}
        {%- endfor -%}
    {%- else -%}
        {%- for input in inputs -%}
            {%- do keyed.append('select ' ~ bucket_of(key) ~ ' as _bucket, ' ~ input.row_hash ~ ' as _row_hash from ' ~ input.relation) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if keyed | length == 0 -%}
        {{ exceptions.raise_compiler_error('bucket_digests: no input of ' ~ model.name ~ ' has the key column ' ~ key) }}
    {%- endif -%}
    {%- set digest_parts = [] -%}
    {%- for _ in keyed -%}
        {%- do digest_parts.append('coalesce(sum(case when input_digests._input = ' ~ loop.index ~ ' then input_digests._digest end), 0)') -%}
    {%- endfor -%}
    {%- do digest_parts.extend(global) -%}
    {%- do digest_parts.append("'" ~ local_md5(code_digest() ~ salt) ~ "'") %}
    select
        input_digests._bucket,
        {{ hash_of(digest_parts) }} as _bucket_digest
    from (
    {%- for input_sql in keyed %}
        select
            input_rows._bucket,
            {{ loop.index }} as _input,
            {{ sum_of_hashes('input_rows._row_hash') }} as _digest
        from ({{ input_sql }}) as input_rows
        group by input_rows._bucket
        {%- if not loop.last %}
        union all
        {%- endif -%}
    {%- endfor %}
    ) as input_digests
    group by input_digests._bucket
{%- endmacro %}


{#- The side table holding this run's current digests (models with drop_stale only: their
    pre-hook computes the digests once; the model and the post-hook read them).
    On Spark it is also what lets an incremental run plan at all (issue 17): computed inside
    the model, __buckets_to_rebuild carries the other inputs' digests as scalar subqueries
    beside the `not exists` on the stored table, and a keyed import filtered by
    in_rebuilt_buckets that feeds both sides of a `union all` (int_lead_status_changes'
    `leads`) makes Spark 4.3's optimizer (InferFiltersFromConstraints) fail with
    "[INTERNAL_ERROR] Invalid call to qualifier on unresolved object". Reading the digests
    from this table leaves a plain scan in the `in` subquery; keep it so for a model with
    other inputs (a comment outside the macros: no model's code digest changes). -#}
{% macro bucket_digests_relation() -%}
    {{ return(api.Relation.create(database=this.database, schema=this.schema,
        identifier=this.identifier ~ '__bucket_digests')) }}
{%- endmacro %}

{% macro stores_bucket_digests(inputs) -%}
    {#- Whether this run reads the digests from the side table: an incremental run of a
        model whose post-hook drops stale buckets and whose inputs are its refs. -#}
    {#- `inputs` given or not as the config's digest_inputs says: the rows the pre-hook digested -#}
    {{ return((inputs is none) == (model.config.get('bucket_digest_inputs') is none)
        and model.config.get('stores_bucket_digests', false) and bucket_incremental_run()) }}
{%- endmacro %}

{% macro store_bucket_digests(key, inputs=none) -%}
    {#- Pre-hook: this run's current digest of every bucket, into the side table. -#}
    {%- if not stores_bucket_digests(inputs) -%}{{ return('') }}{%- endif -%}
    create table {{ bucket_digests_relation() }} as
    {{ bucket_digest_sql(key, inputs) }}
{%- endmacro %}

{% macro drop_stored_bucket_digests() -%}
    {%- if not (model.config.get('stores_bucket_digests', false) and bucket_incremental_run()) -%}{{ return('') }}{%- endif -%}
    drop table if exists {{ bucket_digests_relation() }}
{%- endmacro %}

{% macro bucket_digests(key, inputs=none, also_rebuild=none, salt='') -%}
    {#- The CTEs __bucket_digests (every bucket of the keyed inputs, with its digest) and
        __buckets_to_rebuild (those this run rebuilds: every one on a full build), with a
        trailing comma. `inputs`, `salt`: see bucket_digest_sql; `also_rebuild` is a
        condition on the stored rows whose buckets are rebuilt whatever their digest. -#}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set incremental = bucket_incremental_run() %}
__bucket_digests as (
{%- if stores_bucket_digests(inputs) %}
    select stored_digests._bucket, stored_digests._bucket_digest
    from {{ bucket_digests_relation() }} as stored_digests
{%- else %}
{{ bucket_digest_sql(key, inputs, salt) }}
{%- endif %}
),

__buckets_to_rebuild as (

    select current_digests._bucket, current_digests._bucket_digest
    from __bucket_digests as current_digests
    {%- if incremental %}
    where not exists (
            select 1
            from {{ this }} as stored
            where stored._bucket = current_digests._bucket
                and stored._bucket_digest = current_digests._bucket_digest
        )
        {%- if also_rebuild %}
        or current_digests._bucket in (select stored._bucket from {{ this }} as stored where {{ also_rebuild }})
        {%- endif %}
    {%- endif %}

),
{%- endmacro %}


{% macro in_rebuilt_buckets(key, keyword='where') -%}
    {#- The filter that keeps an input to the buckets being rebuilt (incremental runs only). -#}
    {%- if bucket_incremental_run() %}
    {{ keyword }} {{ bucket_of(key) }} in (select __buckets_to_rebuild._bucket from __buckets_to_rebuild)
    {%- endif %}
{%- endmacro %}


{% macro select_with_bucket_digest(relation, key) -%}
    {#- The model's final select: its rows with their bucket and the bucket's digest
        (null in a unit test and in a model that is not incremental). -#}
    {%- if not execute or model.resource_type == 'unit_test' or model.config.materialized != 'incremental' -%}
select
    {{ relation }}.*,
    {{ bucket_of(relation ~ '.' ~ key) }} as _bucket,
    cast(null as {{ dbt.type_bigint() }}) as _bucket_digest
from {{ relation }}
    {%- else -%}
select
    {{ relation }}.*,
    rebuilt._bucket,
    rebuilt._bucket_digest
from {{ relation }}
inner join __buckets_to_rebuild as rebuilt
    on {{ bucket_of(relation ~ '.' ~ key) }} = rebuilt._bucket
    {%- endif -%}
{%- endmacro %}


{% macro drop_stale_buckets(key) -%}
    {#- Post-hook: a bucket rebuilt into no rows (its lead deleted, say), or one no input
        maps to any more, was not replaced by the build (delete+insert and
        insert_overwrite replace the buckets that have new rows): drop every stored row
        whose digest is not its bucket's current one. -#}
    {%- if not bucket_incremental_run() -%}{{ return('') }}{%- endif -%}
    {%- set current = 'select _bucket, _bucket_digest from ' ~ bucket_digests_relation() -%}
    {{ return(adapter.dispatch('drop_stale_buckets', 'lead_funnel')(current)) }}
{%- endmacro %}

{% macro default__drop_stale_buckets(digest_sql) -%}
    delete from {{ this }} as stored
    where not exists (
        select 1
        from ({{ digest_sql }}) as current_digests
        where current_digests._bucket = stored._bucket
            and current_digests._bucket_digest = stored._bucket_digest
    )
{%- endmacro %}

{#- Parquet tables cannot delete rows: drop the stale partitions (all of a stale
    bucket's rows are stale: a rebuilt bucket's rows all carry the new digest). -#}
{% macro spark__drop_stale_buckets(digest_sql) -%}
    {%- set stale = run_query(
        'select distinct stored._bucket from ' ~ this ~ ' as stored where not exists (select 1 from ('
        ~ digest_sql ~ ') as current_digests where current_digests._bucket = stored._bucket'
        ~ ' and current_digests._bucket_digest = stored._bucket_digest)') -%}
    {%- for row in stale.rows -%}
        alter table {{ this }} drop if exists partition (_bucket = {{ row[0] }});
    {%- endfor -%}
{%- endmacro %}
