// Products' pictures: taken with the phone's camera, kept small by the server, and kept on
// the phone (IndexedDB) so that the grid shows them offline.
import { api } from "./api.js";
import { $, T, TOKEN } from "./page.js";
import { toast } from "./state.js";
import { cacheGet, cacheSet } from "./store.js";

const urls = new Map(); // product id: [version, data URL] shown this session

async function fetchPicture(product) {
  const response = await fetch(`/api/v1/products/${product.id}/picture?v=${product.picture_version}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  if (!response.ok) return null;
  const blob = await response.blob();
  await cacheSet(`picture:${product.id}`, { version: product.picture_version, blob });
  return blob;
}

// The picture's URL: the phone's copy when current, else the server's (kept for next
// time); offline, whatever copy the phone has.
export async function pictureURL(product) {
  if (!product.picture_version) return null;
  const shown = urls.get(product.id);
  if (shown && shown[0] === product.picture_version) return shown[1];
  const kept = await cacheGet(`picture:${product.id}`);
  let blob = kept && kept.version === product.picture_version ? kept.blob : null;
  if (!blob) {
    try {
      blob = await fetchPicture(product);
    } catch (error) {
      blob = null; // offline: the copy before, if any
    }
    blob = blob || (kept && kept.blob);
  }
  if (!blob) return null;
  // A data: URL, not a blob: one: the image is drawn from memory, whatever the network.
  const url = await new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => resolve(null);
    reader.readAsDataURL(blob);
  });
  if (url) urls.set(product.id, [product.picture_version, url]);
  return url;
}

// A photo from the camera (or the gallery), sent as it is: the server makes it small.
export async function takePicture(product, file, onDone) {
  const body = new FormData();
  body.append("picture", file, file.name || "photo.jpg");
  toast(T.photo_sending);
  try {
    const { status, data } = await api("PUT", `/products/${product.id}/picture`, body);
    if (status !== 200) {
      toast((data && data.errors && Object.values(data.errors).flat().join(" ")) || (data && data.detail) || String(status));
      return;
    }
    toast(T.photo_saved);
    await onDone(data);
  } catch (error) {
    toast(T.photo_online);
  }
}

// The camera input: one, hidden, opened for the product whose button was tapped.
export function askForPhoto(product, onDone) {
  const input = $("photo-input");
  input.value = "";
  input.onchange = () => input.files[0] && takePicture(product, input.files[0], onDone);
  input.click();
}

