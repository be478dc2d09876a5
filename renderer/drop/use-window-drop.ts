// Drag-and-drop anywhere on the window, and Ctrl+V of links. Listeners sit on the window so a drop
// on a toolbar or the detail pane works as well as one on the list; the browser's default for a
// drop (navigating to the link or opening the file) is always prevented.
import { useEffect, useState } from 'react';
import { receiveLinks } from './incoming.js';
import { carriesLinks, readTransfer } from './read-transfer.js';

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
}

/** Returns whether links are being dragged over the window (for the drop overlay). */
export function useWindowDrop(): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    // dragenter/dragleave fire for every child crossed; count them to know when the drag left.
    let depth = 0;
    const onEnter = (e: DragEvent) => {
      if (!carriesLinks(e.dataTransfer)) return;
      depth++;
      setDragging(true);
    };
    const onLeave = (e: DragEvent) => {
      if (!carriesLinks(e.dataTransfer)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onOver = (e: DragEvent) => {
      if (!carriesLinks(e.dataTransfer)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent) => {
      depth = 0;
      setDragging(false);
      // A row dropped between rows is the list's business (reordering), handled before this.
      if (e.defaultPrevented || !carriesLinks(e.dataTransfer)) return;
      e.preventDefault();
      // A drop into the Add dialog's text box is still a drop of links, not text to splice in.
      void readTransfer(e.dataTransfer!).then((input) => receiveLinks(input));
    };
    const onPaste = (e: ClipboardEvent) => {
      // Pasting into a text field is ordinary typing; anywhere else it means "download these".
      if (isTextField(e.target) || !e.clipboardData) return;
      e.preventDefault();
      void receiveLinks({ uriList: e.clipboardData.getData('text/uri-list'), text: e.clipboardData.getData('text/plain') });
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('paste', onPaste);
    };
  }, []);
  return dragging;
}
