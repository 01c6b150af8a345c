"""Everything that subclasses or reaches into Whoosh's internals.

searchkit pins ``whoosh-reloaded==2.7.5``; this package is what to re-check
on any other version.  Nothing outside it (and :mod:`searchkit.schema`, which
declares the fields) subclasses a Whoosh class or touches a private name.

==============  ===============================================================
module          what it does, and the Whoosh internals it relies on
==============  ===============================================================
``codec``       searchkit's codec: ``W3Codec``, ``W3PerDocReader``
                (``_cached_reader``, ``_readers``, ``_colfiles``, ``_doccount``,
                ``whoosh3._lenfield``, ``LENGTHS_COLUMN``), ``W3FieldWriter``
                (``_postwriter``, ``start_term``/``finish_term``),
                ``W3PostingsWriter`` (``_ids``, ``_weights``, ``_values``,
                ``_maxweight``, ``_minlength``, ``_maxlength``,
                ``_blocklimit``), ``W3LeafMatcher`` (``_ids``, ``_weights``,
                ``_values``, ``_i``, ``_maxid``, ``_next_block``,
                ``_read_ids``, ``_read_weights``, ``_read_values``)
``searchers``   searchers whose readers' columns span every segment, of one
                index or several (``MultiReader.readers``, ``doc_offsets``,
                ``_gen``; ``EmptyReader``)
``blocks``      searchkit's postings block layout (ids and weights apart from
                positions), mixed into the codec's ``W3PostingsWriter``
                (``_write_block``, ``_new_block``, ``_blockcount``,
                ``_postfile``, ``_terminfo``, ``_format``, ``_compression``)
                and ``W3LeafMatcher`` (``_read_header``, ``_goto``,
                ``_startoffset``, ``_baseoffset``, ``_nextoffset``,
                ``_lastblock``, ``_blocklength``, ``_fixedsize``,
                ``_minlength``, ``_maxlength``, ``_maxweight``)
``formats``     ``OnePassPositions``, a ``Positions`` postings format
                (``word_values``, ``encode``, ``field_boost``)
``collector``   ``ExactTop``, a ``TopCollector`` (``items``, ``minscore``,
                ``offset``, ``total``, ``final_fn``, ``_collect``,
                ``_results``, ``collect_matches``)
``listing``     matchers that list their documents (``Matcher`` protocol);
                ``AllOf``/``AnyOf`` override ``And._matcher``/``Or._matcher``
``ranking``     BM25F field matchers and phrases over postings blocks; a word's
                score bound from ``TermInfo.max_weight``/``min_length``
``pruning``     ``TopOf``, an ``AnyOf`` scoring only what can reach its top k
                (MaxScore), and ``Candidates`` with an estimated total
``proximity``   rescoring the best matches by ordered word pairs (positions
                read as ``ranking``'s phrases read them)
``questions``   plain-word queries, passages and Bo1 feedback (``WrappingQuery``,
                ``key_terms``)
``days``        ``DayRange``, a query over the day column (``Query`` protocol)
``segments``    worker segment writers and commits: ``SegmentWriter(_lk=False)``,
                its ``pool`` (a ``PostingPool``: ``fieldnames``, ``currentsize``,
                ``limit``, ``current``, ``save``),
                ``_finalize_segment``, ``_close_segment``,
                ``_assemble_segment``, ``write_per_doc``, ``perdocwriter``,
                ``fieldwriter``, ``per_document_reader``, merge-policy
                callables and ``MERGE_SMALL``; ``SegmentReader._terms``
``terms``       a wildcard's expansions (``MultiTerm._btexts``)
``unpickling``  the restricted unpickler, installed as the ``loads``/``load``
                that ``whoosh.codec.whoosh3``, ``whoosh.columns``,
                ``whoosh.formats``, ``whoosh.filedb.structfile`` and
                ``whoosh.index`` call
==============  ===============================================================
"""
