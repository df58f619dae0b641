export { CommentField, MAX_COMMENT_LENGTH } from './CommentField';
