//! The dense part of the index: usearch HNSW, cosine, f32 set explicitly (the default is BF16),
//! with thread slots reserved for every thread that adds or searches.

use std::path::Path;

use anyhow::{anyhow, bail, Result};
use usearch::{Index, IndexOptions, MetricKind, ScalarKind};

pub struct Dense {
    index: Index,
    dims: usize,
}

/// Threads that may touch the index at once: rayon's workers plus the calling thread.
fn threads() -> usize {
    rayon::current_num_threads() + 1
}

fn options(dims: usize) -> IndexOptions {
    IndexOptions {
        dimensions: dims,
        metric: MetricKind::Cos,
        quantization: ScalarKind::F32,
        connectivity: 16,
        expansion_add: 40,
        expansion_search: 64,
        multi: false,
    }
}

impl Dense {
    pub fn new(dims: usize, capacity: usize) -> Result<Dense> {
        let index = Index::new(&options(dims))
            .map_err(|e| anyhow!("cannot create a usearch index: {e}"))?;
        index
            .reserve_capacity_and_threads(capacity.max(1), threads())
            .map_err(|e| anyhow!("cannot reserve usearch capacity: {e}"))?;
        Ok(Dense { index, dims })
    }

    pub fn add(&self, key: u64, vector: &[f32]) -> Result<()> {
        self.index
            .add(key, vector)
            .map_err(|e| anyhow!("usearch add failed: {e}"))
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let p = path
            .to_str()
            .ok_or_else(|| anyhow!("index path {} is not UTF-8", path.display()))?;
        self.index
            .save(p)
            .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
    }

    /// Load a file whose checksum was already verified; refuse other dimensions or counts.
    pub fn load(path: &Path, dims: usize, count: usize) -> Result<Dense> {
        let p = path
            .to_str()
            .ok_or_else(|| anyhow!("index path {} is not UTF-8", path.display()))?;
        let meta =
            Index::metadata(p).map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
        if meta.dimensions as usize != dims || meta.count_present as usize != count {
            bail!(
                "{} holds {} vectors of {} dimensions, the manifest says {count} of {dims}",
                path.display(),
                meta.count_present,
                meta.dimensions
            );
        }
        let index = Index::new(&options(dims))
            .map_err(|e| anyhow!("cannot create a usearch index: {e}"))?;
        index
            .load(p)
            .map_err(|e| anyhow!("cannot load {}: {e}", path.display()))?;
        index
            .reserve_capacity_and_threads(count.max(1), threads())
            .map_err(|e| anyhow!("cannot reserve usearch threads: {e}"))?;
        Ok(Dense { index, dims })
    }

    /// Up to `count` nearest keys with their cosine similarity.
    pub fn search(&self, query: &[f32], count: usize) -> Result<Vec<(u64, f32)>> {
        if query.len() != self.dims {
            bail!(
                "query has {} dimensions, the index {}",
                query.len(),
                self.dims
            );
        }
        if self.index.size() == 0 || query.iter().all(|x| *x == 0.0) {
            return Ok(Vec::new());
        }
        let m = self
            .index
            .search(query, count)
            .map_err(|e| anyhow!("usearch search failed: {e}"))?;
        Ok(m.keys
            .into_iter()
            .zip(m.distances)
            .map(|(k, d)| (k, cosine_from_distance(d)))
            .collect())
    }

    /// The stored vector of `key`.
    pub fn get(&self, key: u64) -> Option<Vec<f32>> {
        let mut buf = vec![0f32; self.dims];
        match self.index.get(key, &mut buf) {
            Ok(n) if n > 0 => Some(buf),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        self.index.size()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn cosine_from_distance(d: f32) -> f32 {
    if d.is_finite() {
        (1.0 - d).clamp(-1.0, 1.0)
    } else {
        0.0
    }
}
