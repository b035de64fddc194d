"""The Dask path writes the same spans as the single-process store."""

import pandas as pd
import pytest

from akhbar.corpus import store
from akhbar.corpus.archive import load_corpus
from akhbar.corpus.distributed import annotate_dask

from conftest import ROOT

ARCHIVE = ROOT / "tests" / "data" / "archive" / "articles.jsonl"
KEY = ["article_id", "start", "end", "layer", "label"]


def read(out_dir, name="spans"):
    df = pd.read_parquet(out_dir / name)
    for col in ("month", "outlet"):
        if col in df:
            df[col] = df[col].astype(str)
    key = KEY if name == "spans" else ["article_id"] + (["para"] if name == "themes" else [])
    return df.sort_values(key).reset_index(drop=True)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    out = tmp_path_factory.mktemp("single")
    store.annotate_corpus(ARCHIVE, out, batch_size=4, progress=False)
    return out


class TestAnnotateDask:
    def test_cluster_has_two_workers(self, client):
        assert len(client.scheduler_info()["workers"]) == 2

    def test_path_gives_the_single_process_parquet(self, client, single, tmp_path):
        summary = annotate_dask(ARCHIVE, tmp_path, client=client, batch_size=2, progress=False)
        assert (summary["articles"], summary["partitions"]) == (11, 6)
        for name in ("spans", "articles", "themes"):
            pd.testing.assert_frame_equal(read(tmp_path, name), read(single, name))

    def test_dask_dataframe_with_map_partitions(self, client, single, tmp_path):
        import dask.dataframe as dd

        df = pd.concat(load_corpus(ARCHIVE), ignore_index=True)
        ddf = dd.from_pandas(df[["article_id", "title", "text", "source", "published"]], npartitions=2)
        summary = annotate_dask(ddf, tmp_path, client=client, npartitions=3)
        assert (summary["articles"], summary["partitions"]) == (11, 3)
        pd.testing.assert_frame_equal(read(tmp_path), read(single))

    def test_partition_by_source(self, client, tmp_path):
        annotate_dask(ARCHIVE, tmp_path, client=client, partition_by="source", progress=False)
        assert (tmp_path / "spans" / "outlet=synthetic-beta").is_dir()

    def test_a_dask_dataframe_with_unsafe_or_repeated_ids_skips_those_rows(self, client, tmp_path):
        """Ids of a DataFrame built elsewhere are checked as load_corpus checks them where articles enter."""
        import dask.dataframe as dd

        df = pd.concat(load_corpus(ARCHIVE), ignore_index=True)[["article_id", "title", "text", "source", "published"]]
        first = df["article_id"].iloc[0]
        bad = df.iloc[:3].assign(article_id=["../outside", "CON", first])
        ddf = dd.from_pandas(pd.concat([df, bad], ignore_index=True), npartitions=1)
        summary = annotate_dask(ddf, tmp_path, client=client, npartitions=1)
        assert summary["articles"] == 11
        assert dict(summary["skipped"]) == {"../outside": "article id has '/' (a path separator)",
                                            "CON": "article id is a device name on Windows",
                                            first: "article id taken by an earlier row"}
        assert not (tmp_path.parent / "outside").exists()
        assert sorted(read(tmp_path, "articles")["article_id"]) == sorted(df["article_id"])
